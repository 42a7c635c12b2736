// Saves text the backend produced (a CSV report) as a file, the way a browser downloads: a Blob
// behind a temporary <a download>. The Tauri webview hands it to its download handling.

export function downloadText(fileName: string, text: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.style.display = "none";
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // Revoked on the next turn: some engines read the URL only after click() returned.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
