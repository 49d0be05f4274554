using System.Text;
using Broker.Soap.Contracts;
using Broker.Soap.Envelope;
using Broker.Soap.Messages;

namespace Broker.Soap.Tabdelim;

/// <summary>
/// The IDL/SSW tab-delimited answer (the <c>vsoi_tabdelim</c> proxy). IDL pulls the text of
/// <c>&lt;FlatTable&gt;</c> out of the raw response with a regular expression and never unescapes it. Provider
/// blocks are separated by CRLF CRLF, lines by CRLF, fields by tabs. A block starts with a header
/// (provider, session, found, returned, info, error) followed by 23-field records.
/// </summary>
public static class FlatTableWriter
{
    /// <summary>The table text for a query response; <paramref name="sessionId"/> goes to header field [1], which IDL does not read.</summary>
    public static string Format(QueryResponse response, string? sessionId = null)
    {
        var text = new StringBuilder();
        var items = response.ProviderItems.Count > 0 ? response.ProviderItems : [new ProviderQueryResponse { Provider = "VSO", NoOfRecordsFound = 0, NoOfRecordsReturned = 0 }];
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) text.Append("\r\n\r\n");
            var p = items[i];
            AppendLine(text, [p.Provider ?? "VSO", sessionId, Count(p.NoOfRecordsFound ?? p.Records.Count), Count(p.NoOfRecordsReturned ?? p.Records.Count), p.Debug, p.Error]);
            foreach (var r in p.Records)
            {
                text.Append("\r\n");
                AppendLine(text,
                [
                    r.FileId, r.Provider, r.Source, r.Instrument, r.Detector, r.Physobs, XmlOut.Number(r.Size), r.Info,
                    r.Time.Start, r.Time.End, r.Wave?.WaveMin, r.Wave?.WaveMax, r.Wave?.WaveUnit, r.Wave?.WaveType,
                    r.Extent?.Type, r.Extent?.Width, r.Extent?.Length, r.Extent?.X, r.Extent?.Y,
                    null, null, null, null, // exptime, dark, eclipse, percentd: not in the broker's record model
                ]);
            }
        }
        return text.ToString();
    }

    /// <summary>A SOAP envelope holding <c>VSO:QueryResponse/FlatTable</c>.</summary>
    public static byte[] Envelope(QueryResponse response, string? sessionId = null)
    {
        var table = Format(response, sessionId);
        return SoapEnvelopeWriter.Write(w =>
        {
            w.WriteStartElement("VSO", "QueryResponse", VsoiNames.Namespace);
            w.WriteElementString("FlatTable", table);
            w.WriteEndElement();
        });
    }

    private static string Count(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void AppendLine(StringBuilder text, string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) text.Append('\t');
            text.Append(Field(fields[i]));
        }
    }

    /// <summary>Tabs and line breaks inside a value would shift columns or split records: they become spaces.</summary>
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var clean = XmlOut.Clean(value);
        return clean.IndexOfAny(['\t', '\r', '\n']) < 0 ? clean : clean.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
    }
}
