// Every model a command returns: render(viewOf(model), format) turns any of them into text.
import type { AlertsModel } from './alerts.js'
import type { AuditModel } from './audit.js'
import type { ByHourModel } from './byhour.js'
import type { FetchModel, SourcesModel } from './fetch.js'
import type { ImportModel, InitModel, MentionsModel } from './ingest.js'
import type { QueryModel } from './query.js'
import type { StaffModel } from './staff.js'
import type { SummaryModel } from './summary.js'
import type { TopicClassifyModel, TopicLabelModel, TopicTextModel } from './topics.js'
import type { ClassifyModel, ClassifyTextModel, EvalModel, LabelModel, ModelsModel, TrainModel } from './tagger.js'

export type TaggerModel = ClassifyModel | ClassifyTextModel | TrainModel | ModelsModel | LabelModel | EvalModel

export type Model = ByHourModel | MentionsModel | ImportModel | InitModel | FetchModel | SourcesModel | TaggerModel | StaffModel | AuditModel | SummaryModel | AlertsModel | QueryModel | TopicClassifyModel | TopicTextModel | TopicLabelModel
