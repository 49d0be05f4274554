using Broker.Core.Providers;

namespace Broker.Providers.Tap.Profiles;

/// <summary>Builds a file location from the access_url / access_estsize (kB) / access_format columns.</summary>
internal static class TapLocations
{
    public static FileLocation? FromAccessColumns(ResultRow row, string idColumn, string urlColumn, string sizeColumn, string formatColumn)
    {
        var id = row.String(idColumn);
        if (id is null) return null;
        var url = row.String(urlColumn);
        var kb = row.Double(sizeColumn);
        return url is null
            ? new FileLocation(id, FileStatus.NotFound, Detail: "the provider lists the file without an access_url")
            : new FileLocation(id, FileStatus.Ok, url, kb is { } k ? (long)Math.Round(k * 1024) : null, row.String(formatColumn));
    }
}
