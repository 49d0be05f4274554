namespace Broker.Providers.Tap;

/// <summary>
/// How GetData's <c>verify=true</c> checks data URLs (<see cref="HttpUrlVerifier"/>), bound from the <c>GetData</c>
/// configuration section. One caller's 10 000 ids must not become 10 000 simultaneous HEADs on one data host, nor
/// crowd out every other caller's checks: checks run at most <see cref="MaxChecksPerHost"/> at a time per host and
/// port, and <see cref="MaxChecks"/> at a time in the whole broker; the others wait for a slot.
/// </summary>
public sealed record UrlVerifierOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "GetData";

    /// <summary>Checks running at once against one host and port. <value>Default 8.</value></summary>
    public int MaxChecksPerHost { get; init; } = 8;

    /// <summary>Checks running at once over all hosts. <value>Default 64.</value></summary>
    public int MaxChecks { get; init; } = 64;

    /// <summary>
    /// Time allowed per URL, waiting for a slot and redirects included; a URL still waiting for a slot then is
    /// <c>unverified</c> (never asked), one asked but not answered is <c>broken</c>. <value>Default 10 s.</value>
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting when a value cannot work.</summary>
    public UrlVerifierOptions Validated()
    {
        if (MaxChecksPerHost < 1) throw new ArgumentOutOfRangeException($"{Section}:{nameof(MaxChecksPerHost)}", MaxChecksPerHost, "must be at least 1");
        if (MaxChecks < MaxChecksPerHost)
            throw new ArgumentOutOfRangeException($"{Section}:{nameof(MaxChecks)}", MaxChecks, $"must be at least {Section}:{nameof(MaxChecksPerHost)} ({MaxChecksPerHost})");
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10))
            throw new ArgumentOutOfRangeException($"{Section}:{nameof(Timeout)}", Timeout, "must be above 0 and at most 10 minutes");
        return this;
    }
}
