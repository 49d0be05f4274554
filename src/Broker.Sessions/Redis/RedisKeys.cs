using System.Security.Cryptography;
using System.Text;

namespace Broker.Sessions.Redis;

/// <summary>
/// Every key the broker writes, all under the one prefix <c>broker:</c>, all with a TTL:
/// <list type="table">
/// <item><term><c>broker:session:{sid}</c></term><description>string, the session (JSON); TTL = sliding expiry.</description></item>
/// <item><term><c>broker:session:{sid}:history</c></term><description>list of query summaries (JSON), newest first, trimmed to MaxStoredQueries.</description></item>
/// <item><term><c>broker:session:{sid}:records:{qid}</c></term><description>list of the query's merged records (JSON), in result order.</description></item>
/// <item><term><c>broker:session:{sid}:files:{qid}</c></term><description>hash file id → index in the records list (GetData routing).</description></item>
/// <item><term><c>broker:cache:{sha256}</c></term><description>a provider answer (JSON) for provider + normalized block; TTL per provider.</description></item>
/// <item><term><c>broker:cache-lock:{sha256}</c></term><description>the instance fetching that answer now (SET NX PX).</description></item>
/// <item><term><c>broker:rate:{key}</c></term><description>request counter of a one-minute window (session or client address).</description></item>
/// </list>
/// Session ids are checked to be 32 hex digits before they reach a key. The Lua scripts touch the per-query keys of a
/// session by name, so the layout assumes one Redis (or a replica set), not Redis Cluster.
/// </summary>
internal static class RedisKeys
{
    public const string Prefix = "broker:";

    public static string Session(string sessionId) => $"{Prefix}session:{sessionId}";
    public static string History(string sessionId) => $"{Prefix}session:{sessionId}:history";
    /// <summary>The prefix the scripts append <c>records:{qid}</c> / <c>files:{qid}</c> to.</summary>
    public static string QueryPrefix(string sessionId) => $"{Prefix}session:{sessionId}:";
    public static string Records(string sessionId, string queryId) => $"{Prefix}session:{sessionId}:records:{queryId}";
    public static string Files(string sessionId, string queryId) => $"{Prefix}session:{sessionId}:files:{queryId}";
    public static string Answer(string providerId, string blockKey) => $"{Prefix}cache:{Hash(providerId, blockKey)}";
    public static string AnswerLock(string providerId, string blockKey) => $"{Prefix}cache-lock:{Hash(providerId, blockKey)}";
    public static string Rate(string key) => $"{Prefix}rate:{key}";

    private static string Hash(string providerId, string blockKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(providerId + "\n" + blockKey)));
}
