/**
 * An accessible modal for Xrm.Navigation.openConfirmDialog / openAlertDialog and the PCF navigation dialogs:
 * role="alertdialog", aria-modal, labelled and described, focus moved in and trapped, Escape cancels, focus
 * returned to where it was.
 */

export interface DialogButton {
  label: string;
  value: string;
  primary?: boolean;
}

export interface DialogOptions {
  title: string;
  text: string;
  buttons: DialogButton[];
  /** The value Escape returns. */
  cancelValue: string;
  /** The extra content (a form) for dialogs that carry fields; its inputs take part in focus. */
  content?: HTMLElement;
}

let counter = 0;
/** Open modals, innermost last: only the innermost one handles keys (a confirm can open over a quick create). */
const stack: HTMLElement[] = [];

function focusablesOf(dialog: HTMLElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>("button, input, select, textarea, a[href], [tabindex]")].filter(
    (el) => !el.hasAttribute("disabled") && el.tabIndex >= 0,
  );
}

/**
 * Shows `dialog` (role, labels set by the caller) over a backdrop, traps focus in it, runs `onEscape` on
 * Escape. Returns a function that removes it and gives focus back.
 */
export function presentModal(dialog: HTMLElement, onEscape: () => void): () => void {
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const backdrop = document.createElement("div");
  backdrop.className = "dialog-backdrop";
  dialog.setAttribute("aria-modal", "true");
  dialog.classList.add("dialog");
  backdrop.append(dialog);
  const onKey = (event: KeyboardEvent) => {
    if (stack[stack.length - 1] !== dialog) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onEscape();
    } else if (event.key === "Tab") {
      const items = focusablesOf(dialog);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  document.addEventListener("keydown", onKey, true);
  document.body.append(backdrop);
  stack.push(dialog);
  (focusablesOf(dialog)[0] ?? dialog).focus();
  return () => {
    document.removeEventListener("keydown", onKey, true);
    const index = stack.indexOf(dialog);
    if (index >= 0) stack.splice(index, 1);
    backdrop.remove();
    previous?.focus();
  };
}

export function openModal(options: DialogOptions): Promise<string> {
  const id = `sandbox-dialog-${++counter}`;
  const dialog = document.createElement("div");
  dialog.setAttribute("role", "alertdialog");
  dialog.setAttribute("aria-labelledby", `${id}-title`);
  dialog.setAttribute("aria-describedby", `${id}-text`);
  dialog.tabIndex = -1;
  const title = document.createElement("h2");
  title.id = `${id}-title`;
  title.textContent = options.title;
  const text = document.createElement("p");
  text.id = `${id}-text`;
  text.textContent = options.text;
  dialog.append(title, text);
  if (options.content) dialog.append(options.content);
  const bar = document.createElement("div");
  bar.className = "dialog-buttons";
  dialog.append(bar);
  return new Promise<string>((resolve) => {
    let dispose: () => void = () => undefined;
    const finish = (value: string) => {
      dispose();
      resolve(value);
    };
    for (const button of options.buttons) {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = button.label;
      element.className = button.primary ? "primary" : "";
      element.addEventListener("click", () => finish(button.value));
      bar.append(element);
    }
    dispose = presentModal(dialog, () => finish(options.cancelValue));
  });
}

export async function confirmDialog(strings: {
  title?: string;
  subtitle?: string;
  text: string;
  confirmButtonLabel?: string;
  cancelButtonLabel?: string;
}): Promise<{ confirmed: boolean }> {
  const value = await openModal({
    title: strings.title ?? "Confirm",
    text: strings.subtitle ? `${strings.subtitle} ${strings.text}` : strings.text,
    buttons: [
      { label: strings.confirmButtonLabel ?? "OK", value: "confirm", primary: true },
      { label: strings.cancelButtonLabel ?? "Cancel", value: "cancel" },
    ],
    cancelValue: "cancel",
  });
  return { confirmed: value === "confirm" };
}

export async function alertDialog(strings: {
  title?: string;
  text: string;
  confirmButtonLabel?: string;
}): Promise<void> {
  await openModal({
    title: strings.title ?? "",
    text: strings.text,
    buttons: [{ label: strings.confirmButtonLabel ?? "OK", value: "ok", primary: true }],
    cancelValue: "ok",
  });
}
