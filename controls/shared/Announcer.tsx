/** @jsx h */
import * as React from "react";

// JSX compiles to h(…), which the minifier shortens (the toggle's budget is 15 KB).
const h = React.createElement;

/** Visually hidden, but read by screen readers: state changes are announced politely. */
const hidden: React.CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
};

export const Announcer: React.FC<{ message: string }> = ({ message }) => (
  <div role="status" aria-live="polite" aria-atomic="true" style={hidden} data-testid="announcer">
    {message}
  </div>
);
