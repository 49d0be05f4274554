using System.Xml.Linq;
using Broker.Sessions.Redis;
using Microsoft.AspNetCore.DataProtection.Repositories;
using StackExchange.Redis;

namespace Broker.Server.UserCredentials;

/// <summary>
/// The Data Protection key ring in Redis, so every broker instance behind one Redis encrypts and decrypts the users'
/// stored credentials (and download links) with the same keys: one list <c>broker:{dataprotection}:keys</c> of key XML
/// documents (hash-tagged, a single slot on a Redis Cluster). Keys are written once per key lifetime (90 days); the
/// list lives 180 days after the last write, so it never expires while the broker runs.
/// </summary>
internal sealed class RedisKeyRing(IRedisMultiplexerSource redis) : IXmlRepository
{
    public const string Key = "broker:{dataprotection}:keys";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    public IReadOnlyCollection<XElement> GetAllElements() =>
        Database().ListRange(Key).Select(v => XElement.Parse((string)v!)).ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        var db = Database();
        db.ListRightPush(Key, element.ToString(SaveOptions.DisableFormatting));
        db.KeyExpire(Key, Lifetime);
    }

    // Data Protection's repository contract is synchronous; it reads the ring once and caches it (refreshing daily).
    private IDatabase Database() =>
        (redis.GetMultiplexerAsync(CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("Redis:Configuration cannot be used; the credential key ring is unavailable")).GetDatabase();
}
