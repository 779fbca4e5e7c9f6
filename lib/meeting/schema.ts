// What the meeting's own actions take (decisions go through lib/deals/schema.ts).
import { z } from "zod";

export const repDealsSchema = z.object({
  repId: z.string({ error: "Say whose deals to load." }).min(1, "Say whose deals to load."),
});
