// Every model a command returns: render(viewOf(model), format) turns any of them into text.
import type { AlertsModel } from './alerts.js'
import type { AuditModel } from './audit.js'
import type { ArticleMatchModel, HelpArticlesModel, RecheckModel, VanishedModel } from './care.js'
import type { ByHourModel } from './byhour.js'
import type { MigrateToModel } from './db.js'
import type { FetchModel, SourcesModel } from './fetch.js'
import type { ImportModel, InitModel, MentionsModel } from './ingest.js'
import type { QueryModel } from './query.js'
import type { QueueModel } from './queue.js'
import type { StaffModel } from './staff.js'
import type { SummaryModel } from './summary.js'
import type { LabelInputModel, LabelNextModel } from './label.js'
import type { ClassifyModel, ClassifyTextModel, EvalModel, LabelModel, ModelsModel, TrainModel, TrainRepliesModel } from './tagger.js'
import type { TopicClassifyModel, TopicLabelModel, TopicTextModel } from './topics.js'

export type TaggerModel = ClassifyModel | ClassifyTextModel | TrainModel | ModelsModel | LabelModel | EvalModel | TrainRepliesModel | LabelNextModel | LabelInputModel

export type Model = ByHourModel | MentionsModel | ImportModel | InitModel | FetchModel | SourcesModel | TaggerModel | StaffModel | AuditModel | SummaryModel | AlertsModel | QueryModel | MigrateToModel | HelpArticlesModel | ArticleMatchModel | RecheckModel | VanishedModel | QueueModel | TopicClassifyModel | TopicTextModel | TopicLabelModel
