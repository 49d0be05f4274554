using System.Text.Json;

namespace Broker.Core.Search;

/// <summary>The one spelling of a provider status outside .NET (search JSON, headers, metrics labels).</summary>
public static class ProviderStatusName
{
    private static readonly string[] Names = Enum.GetValues<ProviderStatus>().Order()
        .Select(s => JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString())).ToArray();

    /// <summary>ok, empty, timeout, error, circuit-open, skipped …: the kebab-case name every JSON enum gets.</summary>
    public static string WireName(this ProviderStatus status) => Names[(int)status];
}
