// A column flow: text and pictures fall down a frame (a column on a page) and continue in the
// next frame when this one is full. What the next frame is — the other column, a new page, the
// sidebar on the next contents page — is the caller's decision.

export interface Frame {
  /** Index of the page in the document (0 = cover). */
  page: number;
  x: number;
  top: number;
  bottom: number;
  width: number;
}

export class Flow {
  frame: Frame;
  y: number;
  private readonly next: (after: Frame, usedTo: number) => Frame;
  private readonly enter: (frame: Frame) => void;

  /** `enter` makes the frame's page the one drawn on; `next` also learns how far the frame was filled. */
  constructor(opts: { first: Frame; next: (after: Frame, usedTo: number) => Frame; enter?: (frame: Frame) => void }) {
    this.next = opts.next;
    this.enter = opts.enter ?? (() => {});
    this.frame = opts.first;
    this.y = opts.first.top;
    this.enter(this.frame);
  }

  get isAtTop(): boolean {
    return this.y <= this.frame.top + 0.01;
  }

  get room(): number {
    return this.frame.bottom - this.y;
  }

  /** Moves on to the next frame unless `height` still fits here (or nothing is here yet). */
  ensure(height: number): void {
    if (this.y + height > this.frame.bottom + 0.01 && !this.isAtTop) this.advance();
  }

  advance(): void {
    this.frame = this.next(this.frame, this.y);
    this.y = this.frame.top;
    this.enter(this.frame);
  }

  /** Vertical space between blocks; none at the top of a frame, where it would only look like a gap. */
  space(height: number): void {
    if (this.isAtTop) return;
    if (this.y + height >= this.frame.bottom) {
      this.y = this.frame.bottom;
      return;
    }
    this.y += height;
  }
}
