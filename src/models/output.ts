// Data shapes (see README, Architecture).

import type { AlertsModel } from './alerts.js'
import type { AuditModel } from './audit.js'
import type { ByHourModel } from './byhour.js'
import type { FetchModel, SourcesModel } from './fetch.js'
import type { MentionsModel, ImportModel, InitModel } from './ingest.js'
import type { StaffModel } from './staff.js'
import type { SummaryModel } from './summary.js'
import type { ClassifyModel, ClassifyTextModel, TrainModel, ModelsModel, LabelModel, EvalModel } from './tagger.js'

export type TaggerModel = ClassifyModel | ClassifyTextModel | TrainModel | ModelsModel | LabelModel | EvalModel

export type Model = ByHourModel | MentionsModel | ImportModel | InitModel | FetchModel | SourcesModel | TaggerModel | StaffModel | AuditModel | SummaryModel | AlertsModel
