using Broker.Core.Search;

namespace Broker.Core.Services;

/// <summary>
/// Told about every finished search (session history, query log ...). The engine awaits listeners before it
/// answers, so a listener that is slow must queue its work (the query log does); a listener that throws is
/// logged and ignored — it never fails a search.
/// </summary>
public interface ISearchListener
{
    ValueTask OnSearchCompletedAsync(SearchRequest request, SearchResult result, CancellationToken cancellationToken);
}
