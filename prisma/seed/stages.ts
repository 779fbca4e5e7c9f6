// The demo's sales process: a common five-stage B2B pipeline. Won / lost /
// prospect are statuses, not stages (see prisma/schema.prisma).
//
// - Discovery and Qualification are "early": the weekly meeting reviews them
//   as one group ("anything new on any of these?").
// - Proposal and Negotiation carry a hard limit (maxDaysInStage): a proposal
//   unanswered for a month, or a negotiation dragging past three weeks, is
//   stuck. The other stages are judged against how long won deals spent there.
// - `typicalDays` is how long a winning deal usually spends in the stage at a
//   team pace of 1.0 (the generator scales it per team); it is not stored.

export interface DemoStage {
  id: number;
  name: string;
  order: number;
  probability: number;
  early: boolean;
  maxDaysInStage: number | null;
  typicalDays: number;
}

export const DEMO_STAGES: readonly DemoStage[] = [
  { id: 1, name: "Discovery", order: 1, probability: 10, early: true, maxDaysInStage: null, typicalDays: 12 },
  { id: 2, name: "Qualification", order: 2, probability: 20, early: true, maxDaysInStage: null, typicalDays: 14 },
  { id: 3, name: "Solution & Demo", order: 3, probability: 40, early: false, maxDaysInStage: null, typicalDays: 17 },
  { id: 4, name: "Proposal", order: 4, probability: 60, early: false, maxDaysInStage: 30, typicalDays: 15 },
  { id: 5, name: "Negotiation", order: 5, probability: 80, early: false, maxDaysInStage: 21, typicalDays: 11 },
];

export const FIRST_STAGE = 1;
export const LAST_STAGE = DEMO_STAGES.length;

export function stageByOrder(order: number): DemoStage {
  const stage = DEMO_STAGES[order - 1];
  if (!stage) throw new Error(`No demo stage with order ${order}`);
  return stage;
}
