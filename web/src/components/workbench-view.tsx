import { CodeView } from './code-view';
import { FindingsBrowser } from './findings-browser';
import { RunDetail } from './run-detail';

/** The workbench page the address names: the findings browser, a file's code view or a run. */
export function WorkbenchView({ repoId, route }: { repoId: string; route: URLSearchParams }) {
  switch (route.get('view')) {
    case 'file':
      return <CodeView repoId={repoId} params={route} />;
    case 'run':
      return <RunDetail repoId={repoId} params={route} />;
    default:
      return <FindingsBrowser repoId={repoId} params={route} />;
  }
}
