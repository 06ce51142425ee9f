import { AskPage } from './ask-page';
import { CodeView } from './code-view';
import { FindingsBrowser } from './findings-browser';
import { KnowledgePage } from './knowledge-page';
import { RunDetail } from './run-detail';
import { SearchPage } from './search-page';
import { TestRunView } from './test-run-view';

/**
 * The workbench page the address names: the findings browser, a file's code view, a run, the
 * code search's results, the ask page, the knowledge base or a test-generation run.
 */
export function WorkbenchView({ repoId, route }: { repoId: string; route: URLSearchParams }) {
  switch (route.get('view')) {
    case 'file':
      return <CodeView repoId={repoId} params={route} />;
    case 'run':
      return <RunDetail repoId={repoId} params={route} />;
    case 'search':
      return <SearchPage repoId={repoId} params={route} />;
    case 'tests':
      return <TestRunView repoId={repoId} params={route} />;
    case 'knowledge':
      return <KnowledgePage repoId={repoId} params={route} />;
    case 'ask':
      return <AskPage key={route.get('session') ?? ''} repoId={repoId} params={route} />;
    default:
      return <FindingsBrowser repoId={repoId} params={route} />;
  }
}
