using System.Net;
using System.Xml;
using System.Xml.Linq;
using Broker.Sessions;

namespace Broker.EndToEnd.Tests.Sessions;

/// <summary>
/// The VSOi SOAP door of one instance, given a session in <c>info/required</c> (how sunpy and IDL carry it: they send no
/// cookies), uses it only when it is a live session, which another instance may have created.
/// </summary>
[Collection(SessionFederationCollection.Name)]
public sealed class SoapSessionTests(SessionFederationFixture f)
{
    [Theory]
    [InlineData("sunpy", "/soap/vsoi")]
    [InlineData("idl", "/soap/vsoi_tabdelim")]
    public async Task GetData_LiveSessionInInfoRequired_IsUsedAcrossInstances(string style, string path)
    {
        var session = await SessionClient.NewSessionAsync(f.A);
        var (search, _) = await new SessionClient(f.A, session).GetJsonAsync("/api/v1/search?start=2021-07-01T00:00:00Z&end=2021-07-03T00:00:00Z&providers=soar");
        var ids = SessionClient.Keys(search.GetProperty("records").EnumerateArray()).Select(k => k.FileId).Take(3).ToList();
        Assert.NotEmpty(ids);
        using var soapOnB = new SessionClient(f.B); // no header, no cookie: only the envelope names the session

        using var response = await soapOnB.PostXmlAsync(path, Envelope(style, "soar", ids, session));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(session, SessionClient.SessionOf(response));
        var xml = Parse(body);
        // sunpy's document model echoes the session in info; IDL's older encoded answer has no info element.
        if (style == "sunpy") Assert.Contains("session=" + session, Texts(xml, "infoitem"));
        var urls = Texts(xml, "url").Where(u => u.Length > 0).ToList();
        Assert.Equal(ids.Count, urls.Count);
        using var download = new HttpClient();
        Assert.StartsWith("SIMPLE  =", System.Text.Encoding.ASCII.GetString(await download.GetByteArrayAsync(urls[0]), 0, 9));
        // The door's search history is the session's: the session still shows the query A ran, on B.
        var (history, _) = await new SessionClient(f.B, session).GetJsonAsync("/api/v1/queries");
        Assert.Equal(search.GetProperty("queryId").GetString(), Assert.Single(history.GetProperty("queries").EnumerateArray()).GetProperty("queryId").GetString());
    }

    [Theory]
    [InlineData("sunpy", "/soap/vsoi")]
    [InlineData("idl", "/soap/vsoi_tabdelim")]
    public async Task GetData_UnknownSessionInInfoRequired_IsNeverAdopted(string style, string path)
    {
        var forged = SessionId.New();
        using var soapOnB = new SessionClient(f.B);

        using var response = await soapOnB.PostXmlAsync(path, Envelope(style, "soar", ["solo_L2_whatever"], forged));
        var body = await response.Content.ReadAsStringAsync();
        using var probe = await new SessionClient(f.A, forged).SendAsync(HttpMethod.Get, "/api/v1/sessions/current");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = SessionClient.SessionOf(response);
        Assert.NotNull(issued);
        Assert.NotEqual(forged, issued);
        Assert.DoesNotContain(forged, body, StringComparison.Ordinal);
        if (style == "sunpy") Assert.Contains("session=" + issued, Texts(Parse(body), "infoitem"));
        Assert.NotEqual(forged, SessionClient.SessionOf(probe));
    }

    /// <summary>A GetData as sunpy 4.1.2 (zeep, document model) or IDL/SSW (SOAP-ENC arrays) sends it, with info/required.</summary>
    private static string Envelope(string style, string provider, IReadOnlyList<string> ids, string required) => style == "sunpy"
        ? "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:VSO=\"http://virtualsolar.org/VSO/VSOi\">" +
          "<soap-env:Body><VSO:GetData><body><request><method><methodtype>URL-FILE_Rice</methodtype><methodtype>URL-FILE</methodtype>" +
          "<methodtype>URL</methodtype></method><info><email>sunpy</email><required>" + required + "</required></info><datacontainer>" +
          "<datarequestitem><provider>" + provider + "</provider><fileiditem>" + string.Concat(ids.Select(i => $"<fileid>{i}</fileid>")) +
          "</fileiditem></datarequestitem></datacontainer></request></body></VSO:GetData></soap-env:Body></soap-env:Envelope>"
        : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
          "<SOAP-ENV:Envelope xmlns=\"http://virtualsolar.org/VSO/VSOi\" xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" " +
          "xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" " +
          "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">\n" +
          "<SOAP-ENV:Body>\n<GetData><request><version>0.600000</version><request>" +
          "<data SOAP-ENC:arrayType=\"xsd:ur-type[1]\" xsi:type=\"SOAP-ENC:Array\"><item><provider>" + provider + "</provider>" +
          $"<fileid SOAP-ENC:arrayType=\"xsd:string[{ids.Count}]\" xsi:type=\"SOAP-ENC:Array\">" + string.Concat(ids.Select(i => $"<item>{i}</item>")) +
          "</fileid></item></data>" +
          "<method SOAP-ENC:arrayType=\"xsd:string[2]\" xsi:type=\"SOAP-ENC:Array\"><item>URL-FILE</item><item>URL</item></method>" +
          "<info><email xsi:nil=\"1\"/><site xsi:nil=\"1\"/><required>" + required + "</required></info>" +
          "</request></request></GetData>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n";

    private static XDocument Parse(string body)
    {
        using var reader = XmlReader.Create(new StringReader(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XDocument.Load(reader);
    }

    private static List<string> Texts(XDocument xml, string localName) =>
        xml.Descendants().Where(e => e.Name.LocalName == localName).Select(e => e.Value.Trim()).ToList();
}
