// What a rep sees on the audit trail: a plain refusal, not an error.
import { Refusal } from "@/components/ui/refusal";

export function ReadersOnly() {
  return (
    <Refusal
      title="The audit trail is for managers and administrators"
      back={{ href: "/my", label: "Go to my deals" }}
      testId="audit-refused"
    >
      It lists every change made by the people of a team. The history of your own deals is on each deal's page.
    </Refusal>
  );
}
