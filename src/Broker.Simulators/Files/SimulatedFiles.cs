using System.Security.Cryptography;
using System.Text;

namespace Broker.Simulators;

/// <summary>
/// The small deterministic FITS-like files the data endpoints serve: one 2880-byte header block starting with
/// <c>SIMPLE  =                    T</c> and one 2880-byte data block whose bytes are derived from the file id
/// (SHA-256 of the id, stretched), so a test can predict every byte.
/// </summary>
public static class SimulatedFiles
{
    /// <summary>FITS block size.</summary>
    public const int BlockSize = 2880;

    /// <summary>The bytes served for <paramref name="fileId"/> (two blocks: header + data).</summary>
    /// <param name="fileId">The id the data endpoint was asked for (data_item_id, obs_publisher_did, granule_uid).</param>
    /// <param name="fileName">The file name written into the header (FILENAME card).</param>
    public static byte[] Content(string fileId, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileId);
        ArgumentNullException.ThrowIfNull(fileName);
        var bytes = new byte[2 * BlockSize];
        var header = new StringBuilder();
        Card(header, "SIMPLE  =                    T / conforms to FITS standard");
        Card(header, "BITPIX  =                    8 / bytes");
        Card(header, "NAXIS   =                    1 / one axis");
        Card(header, $"NAXIS1  = {BlockSize,20} / data bytes");
        Card(header, "ORIGIN  = 'BROKER-SIMULATOR'   / generated, not real data");
        Card(header, $"FILENAME= '{Quote(fileName, 60)}'");
        Card(header, $"FILEID  = '{Quote(fileId, 60)}'");
        Card(header, "END");
        var text = header.ToString().PadRight(BlockSize);
        Encoding.ASCII.GetBytes(text, 0, BlockSize, bytes, 0);
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(fileId));
        for (var i = 0; i < BlockSize; i++)
        {
            bytes[BlockSize + i] = (byte)(seed[i % seed.Length] ^ (i * 31 & 0xFF));
        }

        return bytes;
    }

    private static void Card(StringBuilder sb, string card) => sb.Append(card.Length > 80 ? card[..80] : card.PadRight(80));

    private static string Quote(string value, int max)
    {
        var ascii = new string(value.Select(c => c is >= ' ' and <= '~' ? c : '_').ToArray()).Replace("'", "''", StringComparison.Ordinal);
        return ascii.Length > max ? ascii[..max] : ascii;
    }
}
