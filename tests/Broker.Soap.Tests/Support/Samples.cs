namespace Broker.Soap.Tests.Support;

/// <summary>Requests as the real clients send them (shapes from the VSOi wire reference, §3.2 and §4).</summary>
internal static class Samples
{
    /// <summary>sunpy 4.1.2 / zeep Query, captured (reference §3.2), verbatim.</summary>
    public const string ZeepQuery = """
        <soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"
                           xmlns:VSO="http://virtualsolar.org/VSO/VSOi"><soap-env:Body>
         <VSO:Query><body><block>
           <time><start>20100101000000</start><end>20100101010000</end></time>
           <provider>SDAC</provider><instrument>eit</instrument>
           <wave><wavemin>171.0</wavemin><wavemax>171.0</wavemax><waveunit>Angstrom</waveunit></wave>
         </block></body></VSO:Query></soap-env:Body></soap-env:Envelope>
        """;

    /// <summary>IDL/SSW Query: default namespace on the root, no body wrapper, xsi:nil, pixelscale and non-WSDL fields.</summary>
    public const string IdlQuery =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<SOAP-ENV:Envelope xmlns=\"http://virtualsolar.org/VSO/VSOi\" xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" " +
        "xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" " +
        "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">\n" +
        "<SOAP-ENV:Body>\n<Query><block><time><start>20100101000000</start><end>20100101010000</end><near xsi:nil=\"1\"/></time>" +
        "<extent><x xsi:nil=\"1\"/><y xsi:nil=\"1\"/><width xsi:nil=\"1\"/><length xsi:nil=\"1\"/><type xsi:nil=\"1\"/></extent>" +
        "<wave><wavemin>0.3</wavemin><wavemax>30</wavemax><waveunit>Ghz</waveunit><wavetype xsi:nil=\"1\"/></wave>" +
        "<instrument>EIT</instrument><provider xsi:nil=\"1\"/><physobs xsi:nil=\"1\"/><source xsi:nil=\"1\"/><detector xsi:nil=\"1\"/>" +
        "<filter xsi:nil=\"1\"/><sample>0</sample><level xsi:nil=\"1\"/><resolution xsi:nil=\"1\"/><pixels xsi:nil=\"1\"/>" +
        "<pixelscale>2.6</pixelscale><datatype xsi:nil=\"1\"/><quicklook>0</quicklook><dark>0</dark><eclipse>0</eclipse>" +
        "<exptime xsi:nil=\"1\"/><percentd xsi:nil=\"1\"/></block><version>0.600000</version></Query>\n" +
        "</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n";

    /// <summary>sunpy 4.1.2 GetData (reference §3.4): default methods, email sunpy, one item per provider.</summary>
    public const string ZeepGetData = """
        <soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:VSO="http://virtualsolar.org/VSO/VSOi"><soap-env:Body><VSO:GetData><body><request><method><methodtype>URL-FILE_Rice</methodtype><methodtype>URL-FILE</methodtype><methodtype>URL-packaged</methodtype><methodtype>URL-TAR_GZ</methodtype><methodtype>URL-ZIP</methodtype><methodtype>URL-TAR</methodtype><methodtype>URL</methodtype></method><info><email>sunpy</email></info><datacontainer><datarequestitem><provider>fake</provider><fileiditem><fileid>f/1</fileid><fileid>f/2</fileid></fileiditem></datarequestitem></datacontainer></request></body></VSO:GetData></soap-env:Body></soap-env:Envelope>
        """;

    /// <summary>IDL GetData, older encoded model, two providers (SOAP-ENC arrays of item) and info/required.</summary>
    public const string IdlGetDataArrays =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<SOAP-ENV:Envelope xmlns=\"http://virtualsolar.org/VSO/VSOi\" xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" " +
        "xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" " +
        "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">\n" +
        "<SOAP-ENV:Body>\n<GetData><request><version>0.600000</version><request>" +
        "<data SOAP-ENC:arrayType=\"xsd:ur-type[2]\" xsi:type=\"SOAP-ENC:Array\">" +
        "<item><provider>fake</provider><fileid SOAP-ENC:arrayType=\"xsd:string[2]\" xsi:type=\"SOAP-ENC:Array\"><item>f/1</item><item>f/2</item></fileid></item>" +
        "<item><provider>other</provider><fileid SOAP-ENC:arrayType=\"xsd:string[1]\" xsi:type=\"SOAP-ENC:Array\"><item>o/1</item></fileid></item>" +
        "</data>" +
        "<method SOAP-ENC:arrayType=\"xsd:string[2]\" xsi:type=\"SOAP-ENC:Array\"><item>URL-FILE</item><item>URL</item></method>" +
        "<info><email xsi:nil=\"1\"/><site xsi:nil=\"1\"/><required>sess-123</required></info>" +
        "</request></request></GetData>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n";

    /// <summary>IDL GetData with a single provider: <c>data</c> written as a plain element.</summary>
    public const string IdlGetDataSingle =
        "<SOAP-ENV:Envelope xmlns=\"http://virtualsolar.org/VSO/VSOi\" xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" " +
        "xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" +
        "<SOAP-ENV:Body><GetData><request><version>0.600000</version><request>" +
        "<data><provider>fake</provider><fileid SOAP-ENC:arrayType=\"xsd:string[1]\" xsi:type=\"SOAP-ENC:Array\"><item>f/1</item></fileid></data>" +
        "<method SOAP-ENC:arrayType=\"xsd:string[2]\" xsi:type=\"SOAP-ENC:Array\"><item>URL-FILE</item><item>URL</item></method>" +
        "<info><email xsi:nil=\"1\"/><site xsi:nil=\"1\"/><required xsi:nil=\"1\"/></info>" +
        "</request></request></GetData></SOAP-ENV:Body></SOAP-ENV:Envelope>";

    public static string Envelope(string bodyContent) =>
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:VSO=\"http://virtualsolar.org/VSO/VSOi\"><soap:Body>" +
        bodyContent + "</soap:Body></soap:Envelope>";

    public static string ZeepQueryFor(string blockContent) =>
        Envelope("<VSO:Query><body><block>" + blockContent + "</block></body></VSO:Query>");
}
