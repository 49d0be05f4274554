using System.Globalization;

namespace Broker.Server.UserCredentials;

/// <summary>Settings of the broker's download endpoint for restricted files (configuration section <c>Downloads</c>).</summary>
public sealed record DownloadOptions
{
    /// <summary>How long a download link from GetData works (a resumption needs it still valid). <value>Default 1 h.</value></summary>
    public TimeSpan LinkLifetime { get; init; } = TimeSpan.FromHours(1);
    /// <summary>
    /// Downloads (requests) one session may run at once on one instance; more get 429. SunPy's parfive opens up to
    /// max_conn × max_splits = 5 × 5 ranged requests at once, so the default leaves room for it. <value>Default 32.</value>
    /// </summary>
    public int MaxConcurrentPerSession { get; init; } = 32;

    public static DownloadOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Downloads");
        var defaults = new DownloadOptions();
        return new DownloadOptions
        {
            LinkLifetime = section["LinkLifetime"] is { } l ? TimeSpan.Parse(l, CultureInfo.InvariantCulture) : defaults.LinkLifetime,
            MaxConcurrentPerSession = section["MaxConcurrentPerSession"] is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : defaults.MaxConcurrentPerSession,
        };
    }
}
