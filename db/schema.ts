import type { Generated } from 'kysely';

// Row types for Kysely. Keep in step with db/migrations.
export type Role = 'vcse' | 'contractor' | 'officer' | 'admin';
export type OrganisationKind = 'council' | 'supplier' | 'vcse';
export type OrganisationStatus = 'pending' | 'verified' | 'rejected';

export interface WardTable {
  id: string;
  name: string;
  is_priority: Generated<number>;
}

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  status: OrganisationStatus;
  charity_number: string | null;
  company_number: string | null;
  ward_id: string | null;
  description: string | null;
  website: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  role: Role;
  organisation_id: string;
  status: Generated<'active' | 'deactivated'>;
  last_signed_in_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  id: string;
  secret_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  absolute_expires_at: string;
}

export interface PasswordResetTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface InvitationTable {
  id: string;
  token_hash: string;
  email: string;
  name: string;
  role: 'contractor';
  organisation_id: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: string;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
}

export interface NotificationTable {
  id: string;
  dedupe_key: string | null;
  kind: string;
  to_email: string;
  to_user_id: string | null;
  subject: string;
  body_text: string;
  link: string | null;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface RateLimitTable {
  key: string;
  window_started_at: number;
  hits: number;
  failures: Generated<number>;
  blocked_until: Generated<number>;
}

export interface SettingTable {
  key: string;
  value_json: string;
  updated_at: string;
  updated_by: string | null;
}

export type ContractStatus = 'active' | 'completed' | 'terminated';

export interface MeasureTable {
  id: string;
  code: string;
  theme: string;
  outcome: string;
  title: string;
  unit: string;
  proxy_value_pence: number;
  framework_year: number;
  active: Generated<number>;
  is_demo: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ContractTable {
  id: string;
  reference: string;
  title: string;
  description: Generated<string>;
  supplier_id: string;
  value_pence: number;
  start_date: string;
  end_date: string;
  officer_id: string;
  status: Generated<ContractStatus>;
  closed_at: string | null;
  closure_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface CommitmentTable {
  id: string;
  contract_id: string;
  measure_id: string;
  target_milli: number;
  proxy_value_pence: number;
  due_date: string;
  ward_id: string | null;
  description: string;
  delivered_milli: Generated<number>;
  substituted_milli: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface FormSubmissionTable {
  key: string;
  action: string;
  user_id: string | null;
  result_id: string;
  created_at: string;
}

export type ReturnStatus = 'draft' | 'submitted' | 'approved' | 'rejected' | 'more_info_requested';
export type ReturnCommentKind = 'comment' | 'submitted' | 'resubmitted' | 'approved' | 'rejected' | 'more_info_requested';

export interface ProgressReturnTable {
  id: string;
  commitment_id: string;
  contract_id: string;
  supplier_id: string;
  period_start: string;
  period_end: string;
  quantity_milli: number;
  narrative: Generated<string>;
  is_story: Generated<number>;
  status: ReturnStatus;
  approved_quantity_milli: number | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  submitted_at: string | null;
  first_submitted_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ReturnEvidenceTable {
  id: string;
  return_id: string;
  kind: 'file' | 'link';
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  url: string | null;
  title: string | null;
  added_by: string;
  created_at: string;
}

export interface ReturnCommentTable {
  id: string;
  return_id: string;
  author_id: string;
  kind: ReturnCommentKind;
  body: Generated<string>;
  created_at: string;
}

export interface ReturnReminderTable {
  key: string;
  user_id: string;
  /** The outbox dedupe key of the email that carried it. */
  digest_key: string;
  created_at: string;
}

export interface DB {
  ward: WardTable;
  organisation: OrganisationTable;
  user: UserTable;
  session: SessionTable;
  password_reset: PasswordResetTable;
  invitation: InvitationTable;
  audit_event: AuditEventTable;
  notification: NotificationTable;
  rate_limit: RateLimitTable;
  setting: SettingTable;
  measure: MeasureTable;
  contract: ContractTable;
  commitment: CommitmentTable;
  form_submission: FormSubmissionTable;
  progress_return: ProgressReturnTable;
  return_evidence: ReturnEvidenceTable;
  return_comment: ReturnCommentTable;
  return_reminder: ReturnReminderTable;
}
