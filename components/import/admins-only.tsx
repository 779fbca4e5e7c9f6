// What a manager or rep sees on the import page: a plain refusal, not an error.
import { Refusal } from "@/components/ui/refusal";

export function AdminsOnlyImport() {
  return (
    <Refusal
      title="Only administrators can import CRM exports"
      back={{ href: "/", label: "Back to the team overview" }}
    >
      An import changes deals, people and stages for the whole organisation. To bring in a new export from your CRM, ask
      an administrator of your organisation.
    </Refusal>
  );
}
