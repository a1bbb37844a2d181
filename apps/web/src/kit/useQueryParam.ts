import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

/**
 * The page's query string as a URLSearchParams, and a setter that replaces the history entry.
 * (react-router's useSearchParams would do the same, but it carries a link to an outside web page
 * in an error text, and the built UI must name no outside host.)
 */
export function useQueryParams(): [URLSearchParams, (next: Record<string, string>) => void] {
  const { search, pathname } = useLocation();
  const navigate = useNavigate();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const set = useCallback(
    (next: Record<string, string>) => navigate({ pathname, search: `?${new URLSearchParams(next).toString()}` }, { replace: true }),
    [navigate, pathname],
  );
  return [params, set];
}
