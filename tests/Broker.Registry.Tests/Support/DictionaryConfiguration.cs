using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Broker.Registry.Tests.Support;

/// <summary>A flat key/value <see cref="IConfiguration"/> (keys like "Postgres:ConnectionString"), enough for option reading.</summary>
public sealed class DictionaryConfiguration(IReadOnlyDictionary<string, string> values, string path = "") : IConfigurationSection
{
    public string? this[string key]
    {
        get => values.GetValueOrDefault(Qualify(key));
        set => throw new NotSupportedException();
    }

    public string Key => path.Split(':')[^1];
    public string Path => path;
    public string? Value { get => values.GetValueOrDefault(path); set => throw new NotSupportedException(); }

    public IConfigurationSection GetSection(string key) => new DictionaryConfiguration(values, Qualify(key));

    public IEnumerable<IConfigurationSection> GetChildren() =>
        values.Keys.Where(k => path.Length == 0 || k.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase))
            .Select(k => k[(path.Length == 0 ? 0 : path.Length + 1)..].Split(':')[0]).Distinct().Select(GetSection);

    public IChangeToken GetReloadToken() => NullChangeToken.Singleton;

    private string Qualify(string key) => path.Length == 0 ? key : path + ":" + key;

    private sealed class NullChangeToken : IChangeToken
    {
        public static readonly NullChangeToken Singleton = new();
        public bool HasChanged => false;
        public bool ActiveChangeCallbacks => false;
        public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) => new NoOp();
        private sealed class NoOp : IDisposable { public void Dispose() { } }
    }
}
