// What the newsroom's areas are built with: everything app.ts has built once, passed in.
import type { Logger } from 'pino';
import type { DatabaseHandle, Db, Dialect } from '../db/database.ts';
import type { SiteState } from '../site/site-state.ts';
import type { BillingService } from '../billing/billing-service.ts';
import type { ArticleViews } from '../site/article-views.ts';
import type { GuardDeps } from './guard.tsx';

export interface NewsroomDeps extends GuardDeps {
  database: DatabaseHandle;
  db: Db;
  dialect: Dialect;
  state: SiteState;
  logger: Logger;
  /** Where pictures are stored (content/image-store.ts). */
  mediaDir: string;
  billing: BillingService;
  /** The reader's article pipeline, for previews "as the reader sees it". */
  views: ArticleViews;
}
