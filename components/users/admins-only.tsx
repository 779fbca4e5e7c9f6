// What a manager or rep sees on the people pages: a plain refusal, not an error.
import { Refusal } from "@/components/ui/refusal";

export function AdminsOnly() {
  return (
    <Refusal title="Only administrators can manage people" back={{ href: "/", label: "Back to the team overview" }}>
      To add someone, change a role or a team, reset a password or deactivate an account, ask an administrator of your
      organisation.
    </Refusal>
  );
}
