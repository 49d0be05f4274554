using Broker.Core.Search;
using Broker.Core.Services;
using Microsoft.Extensions.Logging;

namespace Broker.Sessions;

/// <summary>Stores every finished search of a session (history and records); a store outage costs the history, never the search.</summary>
internal sealed partial class SessionSearchListener(ISessionStore store, ILogger<SessionSearchListener> logger) : ISearchListener
{
    public async ValueTask OnSearchCompletedAsync(SearchRequest request, SearchResult result, CancellationToken cancellationToken)
    {
        if (request.SessionId is null) return;
        try
        {
            await store.AddQueryAsync(request.SessionId, result, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex)
        {
            LogNotStored(logger, result.QueryId, request.SessionId, ex.Message);
        }
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Query {QueryId} of session {SessionId} not stored: {Problem}")]
    private static partial void LogNotStored(ILogger logger, string queryId, string sessionId, string problem);
}
