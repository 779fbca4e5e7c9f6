import { NotFoundScreen } from "@/components/shell/not-found-screen";

export default function RepNotFound() {
  return (
    <NotFoundScreen title="Rep not found" back={{ href: "/", label: "Back to the team overview" }}>
      This rep does not exist, or is not in a team you can see. Pick a rep from the team overview.
    </NotFoundScreen>
  );
}
