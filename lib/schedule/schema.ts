// The daily review's schedule as the settings form sends it.
import { z } from "zod";
import { isTimeZone, TIME_OF_DAY } from "./clock";

export const reviewScheduleSchema = z.object({
  reviewTime: z
    .string()
    .trim()
    .regex(TIME_OF_DAY, "Give the time as hours and minutes on a 24-hour clock, e.g. 06:00."),
  timeZone: z
    .string()
    .trim()
    .refine(isTimeZone, "Pick a time zone from the list (a name such as Europe/Paris or America/New_York)."),
});

export type ReviewScheduleInput = z.output<typeof reviewScheduleSchema>;
