/** A slot is (job, nominal time): a retry or a later attempt is the same slot with a new run. */
export const slotKeyOf = (r: { jobKey: string; slot: string }) => `${r.jobKey}@${Date.parse(r.slot)}`;

export const sameSlot = (a: { jobKey: string; slot: string }, b: { jobKey: string; slot: string }) =>
  a.jobKey === b.jobKey && Date.parse(a.slot) === Date.parse(b.slot);
