using System.Security.Cryptography;
using System.Text;

namespace Broker.Sessions.Redis;

/// <summary>
/// Every key the broker writes, all under the one prefix <c>broker:</c>, all with a TTL:
/// <list type="table">
/// <item><term><c>broker:session:{sid}</c></term><description>string, the session (JSON); TTL = sliding expiry.</description></item>
/// <item><term><c>broker:session:{sid}:history</c></term><description>list of query summaries (JSON), newest first, trimmed to MaxStoredQueries.</description></item>
/// <item><term><c>broker:session:{sid}:results</c></term><description>hash query id → content key of its stored records ("" when none were stored): the session's only way to its records.</description></item>
/// <item><term><c>broker:result:{contentKey}</c></term><description>list of a result's stored records (JSON), in result order, shared by every query (of any session) with byte-for-byte the same records; TTL = session expiry, refreshed whenever a session stores or touches it.</description></item>
/// <item><term><c>broker:resultfiles:{contentKey}</c></term><description>hash file id → index in that list (GetData routing); same TTL.</description></item>
/// <item><term><c>broker:result-new:{random}</c>, <c>broker:resultfiles-new:{random}</c></term><description>a shared result being written, renamed into place when complete; short TTL.</description></item>
/// <item><term><c>broker:session:{sid}:records:{qid}</c>, <c>broker:session:{sid}:files:{qid}</c></term><description>the records of one query, as brokers before content-addressed results wrote them; still read, touched and deleted, never written.</description></item>
/// <item><term><c>broker:cache:{sha256}</c></term><description>a provider answer (JSON) for provider + normalized block; TTL per provider.</description></item>
/// <item><term><c>broker:cache-lock:{sha256}</c></term><description>the instance fetching that answer now (SET NX PX).</description></item>
/// <item><term><c>broker:rate:{key}</c></term><description>request counter of a one-minute window (session or client address).</description></item>
/// </list>
/// Session ids are checked to be 32 hex digits before they reach a key. The Lua scripts touch the per-query and
/// shared result keys by name, so the layout assumes one Redis (or a replica set), not Redis Cluster.
/// </summary>
internal static class RedisKeys
{
    public const string Prefix = "broker:";
    /// <summary>The prefix of shared result lists; the scripts append the content key.</summary>
    public const string ResultPrefix = Prefix + "result:";
    /// <summary>The prefix of shared file-id hashes; the scripts append the content key.</summary>
    public const string ResultFilesPrefix = Prefix + "resultfiles:";

    public static string Session(string sessionId) => $"{Prefix}session:{sessionId}";
    public static string History(string sessionId) => $"{Prefix}session:{sessionId}:history";
    public static string Results(string sessionId) => $"{Prefix}session:{sessionId}:results";
    /// <summary>The prefix the scripts append the old per-query <c>records:{qid}</c> / <c>files:{qid}</c> to.</summary>
    public static string QueryPrefix(string sessionId) => $"{Prefix}session:{sessionId}:";
    public static string LegacyRecords(string sessionId, string queryId) => $"{Prefix}session:{sessionId}:records:{queryId}";
    public static string Result(string contentKey) => ResultPrefix + contentKey;
    public static string ResultFiles(string contentKey) => ResultFilesPrefix + contentKey;
    public static string NewResult(string writeId) => $"{Prefix}result-new:{writeId}";
    public static string NewResultFiles(string writeId) => $"{Prefix}resultfiles-new:{writeId}";
    public static string Answer(string providerId, string blockKey) => $"{Prefix}cache:{Hash(providerId, blockKey)}";
    public static string AnswerLock(string providerId, string blockKey) => $"{Prefix}cache-lock:{Hash(providerId, blockKey)}";
    public static string Rate(string key) => $"{Prefix}rate:{key}";

    private static string Hash(string providerId, string blockKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(providerId + "\n" + blockKey)));
}
