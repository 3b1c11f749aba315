// Copies the static files beside the bundle (no inline script anywhere: the CSP forbids it).
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
for (const file of ["index.html", "app.css", "icon.svg"]) {
  copyFileSync(`static/${file}`, `dist/${file}`);
}
