// A short-lived error line at the bottom of the page (role alert: screen readers say it at once).

import { h } from "../dom";

export class Toast {
  readonly element = h("p", { class: "toast", role: "alert", hidden: true });
  private timer: ReturnType<typeof setTimeout> | undefined;

  show(text: string): void {
    this.element.textContent = text;
    this.element.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.element.hidden = true;
    }, 6_000);
  }
}
