/** The hidden key that makes a create-form safe to send twice (see app/modules/submissions/once.server.ts). */
export function SubmissionKey({ value }: { value: string }) {
  return <input type="hidden" name="submissionKey" value={value} />;
}
