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
  newsletter_opt_in: Generated<number>;
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

export type WishlistCategory = 'goods' | 'skills' | 'volunteering' | 'funding' | 'space';
export type WishlistStatus = 'draft' | 'submitted' | 'published' | 'rejected' | 'pledged' | 'fulfilled' | 'closed' | 'withdrawn' | 'expired';

export interface WishlistItemTable {
  id: string;
  organisation_id: string;
  title: string;
  description: string;
  category: WishlistCategory;
  theme: string;
  ward_id: string | null;
  estimated_value_pence: number;
  quantity_detail: Generated<string>;
  needed_by: string | null;
  photo_sha256: string | null;
  photo_content_type: string | null;
  photo_alt: string | null;
  status: Generated<WishlistStatus>;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  submitted_at: string | null;
  published_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Maintained by triggers on wishlist_item and organisation; query with MATCH. */
export interface WishlistItemFtsTable {
  item_id: string;
  title: string;
  description: string;
  organisation_name: string | null;
}

export type PledgeStatus = 'offered' | 'accepted' | 'declined' | 'delivered' | 'confirmed' | 'disputed' | 'withdrawn';

export interface PledgeTable {
  id: string;
  item_id: string;
  supplier_id: string;
  contract_id: string | null;
  description: string;
  value_pence: number;
  expected_date: string;
  status: Generated<PledgeStatus>;
  response_reason: string | null;
  delivery_note: string | null;
  is_story: Generated<number>;
  responded_by: string | null;
  responded_at: string | null;
  delivered_at: string | null;
  confirmed_by: string | null;
  confirmed_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Debit-normal: balance, substituted, expired. Credit-normal: earned, claimed, substitute. */
export type LedgerAccountKind = 'balance' | 'substituted' | 'expired' | 'earned' | 'claimed' | 'substitute';
export type LedgerTransactionKind = 'earned' | 'claim' | 'swap' | 'expiry' | 'reversal';
export type LedgerSourceType = 'progress_return' | 'credit_claim' | 'credit_swap' | 'contract' | 'ledger_transaction';

export interface LedgerAccountTable {
  id: string;
  contract_id: string;
  kind: LedgerAccountKind;
  commitment_id: string | null;
  /** In normal terms, kept by a trigger from the postings; never below zero. */
  balance_pence: Generated<number>;
  created_at: string;
}

export interface LedgerTransactionTable {
  id: string;
  contract_id: string;
  kind: LedgerTransactionKind;
  source_type: LedgerSourceType;
  source_id: string;
  reverses_id: string | null;
  reason: string;
  approved_by: string | null;
  booked_at: string;
}

export interface LedgerPostingTable {
  id: Generated<number>;
  transaction_id: string;
  account_id: string;
  /** Signed: a debit is positive, a credit negative. */
  amount_pence: number;
}

export type CreditRequestStatus = 'requested' | 'approved' | 'rejected' | 'withdrawn';

export interface CreditClaimTable {
  id: string;
  contract_id: string;
  supplier_id: string;
  kind: 'pledge' | 'activity';
  pledge_id: string | null;
  measure_id: string | null;
  quantity_milli: number | null;
  proxy_value_pence: number | null;
  uplift_percent: Generated<number>;
  description: string;
  requested_value_pence: number;
  approved_value_pence: number | null;
  status: Generated<CreditRequestStatus>;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ClaimEvidenceTable {
  id: string;
  claim_id: string;
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

export interface CreditSwapTable {
  id: string;
  contract_id: string;
  supplier_id: string;
  commitment_id: string;
  method: 'credits' | 'measure';
  quantity_milli: number;
  value_pence: number;
  to_measure_id: string | null;
  to_commitment_id: string | null;
  to_quantity_milli: number | null;
  to_proxy_value_pence: number | null;
  to_value_pence: number | null;
  to_due_date: string | null;
  reason: string;
  status: Generated<CreditRequestStatus>;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export type StoryStatus = 'draft' | 'published' | 'unpublished';

export interface StoryTable {
  id: string;
  source_type: 'progress_return' | 'pledge';
  source_id: string;
  contract_id: string | null;
  organisation_id: string | null;
  title: string;
  body: string;
  photo_sha256: string | null;
  photo_content_type: string | null;
  photo_alt: string | null;
  consent_note: string;
  consent_recorded_at: string;
  status: Generated<StoryStatus>;
  published_at: string | null;
  published_by: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface NewsletterTable {
  id: string;
  period_start: string;
  period_end: string;
  title: string;
  introduction: Generated<string>;
  figures_json: string | null;
  status: Generated<'draft' | 'sent'>;
  sent_at: string | null;
  sent_by: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface NewsletterStoryTable {
  newsletter_id: string;
  story_id: string;
  position: number;
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
  wishlist_item: WishlistItemTable;
  wishlist_item_fts: WishlistItemFtsTable;
  pledge: PledgeTable;
  ledger_account: LedgerAccountTable;
  ledger_transaction: LedgerTransactionTable;
  ledger_posting: LedgerPostingTable;
  credit_claim: CreditClaimTable;
  claim_evidence: ClaimEvidenceTable;
  credit_swap: CreditSwapTable;
  story: StoryTable;
  newsletter: NewsletterTable;
  newsletter_story: NewsletterStoryTable;
}
