using System.Security.Cryptography;
using System.Text;

namespace Broker.Sessions.Redis;

/// <summary>
/// Every key the broker writes, all under the one prefix <c>broker:</c>, all with a TTL. The part in braces is the
/// Redis Cluster hash tag: keys with the same tag live in the same slot, and every script or transaction touches the
/// keys of one tag only, so the same layout works on one Redis, behind Sentinel and on a Redis Cluster.
/// <list type="table">
/// <item><term><c>broker:session:{sid}</c></term><description>string, the session (JSON); TTL = sliding expiry.</description></item>
/// <item><term><c>broker:session:{sid}:history</c></term><description>list of query summaries (JSON), newest first, trimmed to MaxStoredQueries.</description></item>
/// <item><term><c>broker:session:{sid}:results</c></term><description>hash query id → content key of its stored records ("" when none were stored): the session's only way to its records.</description></item>
/// <item><term><c>broker:session:{sid}:pending</c></term><description>sorted set query id → deadline (Unix ms): searches of the session still being stored (<see cref="RedisPendingWrites"/>); TTL = the last mark's lifetime.</description></item>
/// <item><term><c>broker:session:{sid}:credentials</c></term><description>hash provider id → the user's credential for it, encrypted with ASP.NET Core Data Protection (never in clear); the session's remaining lifetime, slid and deleted with it.</description></item>
/// <item><term><c>broker:session:{sid}:downloads</c></term><description>sorted set slot id → lease end (Unix ms): the session's restricted downloads running on any instance (the server's <c>DownloadSlots</c>); TTL twice the lease.</description></item>
/// <item><term><c>broker:result:{contentKey}</c></term><description>list of a result's stored records (JSON), in result order, shared by every query (of any session) with byte-for-byte the same records; TTL = session expiry, refreshed whenever a session stores or touches it.</description></item>
/// <item><term><c>broker:resultfiles:{contentKey}</c></term><description>hash file id → index in that list (GetData routing); same TTL.</description></item>
/// <item><term><c>broker:result-new:{contentKey}:{random}</c>, <c>broker:resultfiles-new:{contentKey}:{random}</c></term><description>a shared result being written, renamed into place when complete (same slot as its final name); short TTL.</description></item>
/// <item><term><c>broker:cache:{sha256}</c></term><description>a provider answer (versioned JSON) for provider + normalized block; TTL per provider.</description></item>
/// <item><term><c>broker:cache-lock:{sha256}</c></term><description>the instance fetching that answer now (SET NX PX), in the answer's slot.</description></item>
/// <item><term><c>broker:rate:{key}</c></term><description>request counter of a one-minute window (session or client address).</description></item>
/// <item><term><c>broker:ready:{instance}</c></term><description>the readiness probe's write of one broker instance; TTL 30 s.</description></item>
/// </list>
/// Session ids are checked to be 32 hex digits before they reach a key.
/// </summary>
internal static class RedisKeys
{
    public const string Prefix = "broker:";

    public static string Session(string sessionId) => $"{Prefix}session:{{{sessionId}}}";
    public static string History(string sessionId) => $"{Prefix}session:{{{sessionId}}}:history";
    public static string Results(string sessionId) => $"{Prefix}session:{{{sessionId}}}:results";
    public static string Pending(string sessionId) => $"{Prefix}session:{{{sessionId}}}:pending";
    public static string Credentials(string sessionId) => $"{Prefix}session:{{{sessionId}}}:credentials";
    public static string Result(string contentKey) => $"{Prefix}result:{{{contentKey}}}";
    public static string ResultFiles(string contentKey) => $"{Prefix}resultfiles:{{{contentKey}}}";
    public static string NewResult(string contentKey, string writeId) => $"{Prefix}result-new:{{{contentKey}}}:{writeId}";
    public static string NewResultFiles(string contentKey, string writeId) => $"{Prefix}resultfiles-new:{{{contentKey}}}:{writeId}";
    public static string Answer(string providerId, string blockKey) => $"{Prefix}cache:{{{Hash(providerId, blockKey)}}}";
    public static string AnswerLock(string providerId, string blockKey) => $"{Prefix}cache-lock:{{{Hash(providerId, blockKey)}}}";
    public static string Rate(string key) => $"{Prefix}rate:{{{key}}}";
    public static string Ready(string instanceId) => $"{Prefix}ready:{{{instanceId}}}";

    private static string Hash(string providerId, string blockKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(providerId + "\n" + blockKey)));
}
