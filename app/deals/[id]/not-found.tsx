import { NotFoundScreen } from "@/components/shell/not-found-screen";

export default function DealNotFound() {
  return (
    <NotFoundScreen title="Deal not found" back={{ href: "/", label: "Back to the team overview" }}>
      This deal does not exist, or belongs to a team you cannot see. Find it from its rep's pipeline.
    </NotFoundScreen>
  );
}
