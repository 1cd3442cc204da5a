/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Newer/older links under a newsroom list whose total is not counted (newest first).

export function NewerOlderPager(props: { label: string; page: number; hasMore: boolean; href: (page: number) => string }) {
  if (props.page <= 1 && !props.hasMore) return null;
  return (
    <nav class="pager" aria-label={props.label}>
      {props.page > 1 ? <a href={props.href(props.page - 1)} rel="prev">← Newer</a> : null}
      <span>Page {props.page}</span>
      {props.hasMore ? <a href={props.href(props.page + 1)} rel="next">Older →</a> : null}
    </nav>
  );
}
