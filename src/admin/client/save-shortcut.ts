// Ctrl+S / Cmd+S on the story editor saves the story (intent=save) instead of opening the
// browser's "save page" dialog, exactly as pressing the page's save button would (its
// confirmation included). Pressed again while the save is on its way, it does nothing.
export function enhanceSaveShortcut(form: HTMLFormElement): void {
  let isSubmitting = false;
  form.addEventListener('submit', (event) => {
    // Read after every listener had its say (autosave may hold the submit back for a moment).
    queueMicrotask(() => {
      if (!event.defaultPrevented) isSubmitting = true;
    });
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) isSubmitting = false;
  });
  document.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.key.toLowerCase() !== 's') return;
    if (!form.isConnected) return;
    event.preventDefault();
    if (isSubmitting) return;
    // Only what the page offers: without a save button this staff member may not save here.
    const save = form.querySelector<HTMLButtonElement>('button[name="intent"][value="save"]');
    if (!save || save.type !== 'submit' || save.disabled) return;
    if (save.dataset.confirm && !window.confirm(save.dataset.confirm)) return;
    form.requestSubmit(save);
  });
}
