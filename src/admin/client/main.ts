// The newsroom's script: each enhancement finds its own elements and does nothing when they
// are absent, so one small bundle serves every newsroom page.
import { enhanceConfirmations } from './confirm.ts';
import { enhanceStoryEditor } from './story-editor.ts';

const enhancements: (() => void)[] = [enhanceConfirmations, enhanceStoryEditor];

function start(): void {
  for (const enhance of enhancements) enhance();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
