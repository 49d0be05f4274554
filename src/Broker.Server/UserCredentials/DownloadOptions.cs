using System.Globalization;

namespace Broker.Server.UserCredentials;

/// <summary>Settings of the broker's download endpoint for restricted files (configuration section <c>Downloads</c>).</summary>
public sealed record DownloadOptions
{
    /// <summary>How long a download link from GetData works (a resumption needs it still valid). <value>Default 1 h.</value></summary>
    public TimeSpan LinkLifetime { get; init; } = TimeSpan.FromHours(1);
    /// <summary>
    /// Downloads (requests) one session may run at once, on all instances together when they share Redis; more get 429. SunPy's parfive opens up to
    /// max_conn × max_splits = 5 × 5 ranged requests at once, so the default leaves room for it. <value>Default 32.</value>
    /// </summary>
    public int MaxConcurrentPerSession { get; init; } = 32;
    /// <summary>
    /// With Redis, how long a download's slot stays taken without its instance renewing it (renewed every third while the
    /// download runs): after an instance dies, its sessions get their slots back at most this long later. <value>Default 1 min.</value>
    /// </summary>
    public TimeSpan SlotLease { get; init; } = TimeSpan.FromMinutes(1);

    public static DownloadOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Downloads");
        var defaults = new DownloadOptions();
        return new DownloadOptions
        {
            LinkLifetime = section["LinkLifetime"] is { } l ? TimeSpan.Parse(l, CultureInfo.InvariantCulture) : defaults.LinkLifetime,
            MaxConcurrentPerSession = section["MaxConcurrentPerSession"] is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : defaults.MaxConcurrentPerSession,
            SlotLease = section["SlotLease"] is { } s ? TimeSpan.Parse(s, CultureInfo.InvariantCulture) : defaults.SlotLease,
        };
    }
}
