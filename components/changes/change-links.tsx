"use client";
// The links of one rep's week in a line, drawn in the browser from the words
// and the window: the overview has one such line per rep, and as a client
// component React's payload carries each line as a few words of data instead
// of its whole element tree (the 60 KB page budget). The links' look is the
// `change-links` class (app/globals.css), not a class on each link.
import Link from "next/link";
import { Fragment } from "react";
import { changesHref } from "@/lib/changes/window";
import type { LinePart } from "./wording";

export function ChangeLinks({
  parts,
  window,
  repId,
  className,
}: {
  parts: LinePart[];
  window: { from: Date; to: Date };
  repId: string;
  className?: string;
}) {
  return (
    <span className={className ? `change-links ${className}` : "change-links"}>
      {parts.map((part, index) => (
        <Fragment key={part.kind}>
          {index > 0 ? " · " : null}
          <Link href={changesHref({ movement: part.kind, from: window.from, to: window.to, repId })}>{part.text}</Link>
        </Fragment>
      ))}
    </span>
  );
}
