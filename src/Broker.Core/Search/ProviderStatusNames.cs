using System.Text.Json;

namespace Broker.Core.Search;

/// <summary>The one wire spelling of provider statuses, shared by every door (REST JSON, TAP INFOs, vso.providers).</summary>
public static class ProviderStatusNames
{
    // The name every JSON enum gets (kebab-case, lower): ok, empty, timeout, error, circuit-open, skipped.
    private static readonly string[] Names = Enum.GetValues<ProviderStatus>().Order()
        .Select(s => JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString())).ToArray();

    /// <summary>ok, empty, timeout, error, circuit-open, skipped.</summary>
    public static string WireName(this ProviderStatus status) => Names[(int)status];
}
