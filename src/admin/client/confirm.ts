// Buttons that undo work ask first: <button data-confirm="Unpublish this story?">.
export function enhanceConfirmations(): void {
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest<HTMLElement>('[data-confirm]');
    if (button && !window.confirm(button.dataset.confirm ?? 'Are you sure?')) event.preventDefault();
  });
}
