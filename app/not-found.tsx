import { NotFoundScreen } from "@/components/shell/not-found-screen";

export default function PageNotFound() {
  return (
    <NotFoundScreen title="Page not found" back={{ href: "/", label: "Go to the overview" }}>
      There is no page at this address. Use the navigation above, or start from the overview.
    </NotFoundScreen>
  );
}
