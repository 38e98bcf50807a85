using System.Globalization;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.Data;

public class DicomUidTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2.1", true)]
    [InlineData("0", true)]
    [InlineData("1.2.0.3", true)]
    [InlineData("1.2.840.10008.5.1.4.1.1.1.1.123456789012345678901234567890123456", true)] // 64
    [InlineData("1.2.840.10008.5.1.4.1.1.1.1.1234567890123456789012345678901234567", false)] // 65
    [InlineData("1.02.3", false)] // leading zero
    [InlineData("00", false)]
    [InlineData("1..2", false)] // empty component
    [InlineData(".1.2", false)]
    [InlineData("1.2.", false)]
    [InlineData("1.2.a", false)] // letters
    [InlineData("1.2 ", false)]
    [InlineData("1.2\0", false)] // padding is not part of the UID
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValid_follows_PS3_5_9_1(string? uid, bool valid) => Assert.Equal(valid, DicomUid.IsValid(uid));

    [Fact]
    public void Generate_yields_distinct_valid_UUID_derived_UIDs()
    {
        var uids = Enumerable.Range(0, 1000).Select(_ => DicomUid.Generate()).ToList();
        Assert.Equal(1000, uids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(uids, uid =>
        {
            Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
            Assert.True(DicomUid.IsValid(uid), uid);
            // The integer is the UUID read in network order, so the version (4) and variant (10b) bits sit where
            // RFC 4122 puts them; a wrong byte order would scatter them.
            var value = UInt128.Parse(uid["2.25.".Length..], CultureInfo.InvariantCulture);
            Assert.Equal(4, (int)(value >> 76) & 0xF);
            Assert.Equal(2, (int)(value >> 62) & 0x3);
        });
    }

    [Fact]
    public void Registry_knows_transfer_syntaxes_and_SOP_classes()
    {
        Assert.True(DicomUid.TryGetEntry(DicomUids.ExplicitVRLittleEndian, out var explicitLe));
        Assert.Equal(("Explicit VR Little Endian", DicomUidType.TransferSyntax, false),
            (explicitLe.Name, explicitLe.Type, explicitLe.IsRetired));
        Assert.True(DicomUid.TryGetEntry("1.2.840.10008.1.2.2", out var bigEndian));
        Assert.True(bigEndian.IsRetired);
        Assert.True(DicomUid.TryGetEntry("1.2.840.10008.5.1.4.1.1.1.1\0", out var dx)); // padded as read from a file
        Assert.Equal((DicomUidType.SopClass, "DigitalXRayImageStorageForPresentation"), (dx.Type, dx.Keyword));
        Assert.Equal("1.2.840.10008.1.2", DicomUids.ImplicitVRLittleEndian);
        Assert.Equal("Verification SOP Class", DicomUid.GetName(DicomUids.Verification));
        Assert.Equal("1.2.3.4", DicomUid.GetName("1.2.3.4"));
        Assert.False(DicomUid.TryGetEntry("1.2.3.4", out _));
    }

    [Fact]
    public void Registry_entries_are_valid_and_constants_match_them()
    {
        Assert.InRange(DicomUids.Registry.Count, 400, 1000);
        Assert.All(DicomUids.Registry, e => Assert.True(DicomUid.IsValid(e.Uid), e.Uid));
        var constants = typeof(DicomUids).GetFields().Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var keyed = DicomUids.Registry.Where(e => e.Keyword.Length > 0).ToList();
        Assert.Equal(keyed.Count, constants.Count);
        Assert.All(keyed, e => Assert.Equal(e.Uid, constants[e.Keyword]));
    }

    [Fact]
    public void Every_registry_entry_matches_pydicom()
    {
        var theirs = Pydicom.Tables.Value.GetProperty("uids").EnumerateArray().ToList();
        Assert.Equal(theirs.Count, DicomUids.Registry.Count);
        Assert.All(theirs, r =>
        {
            // Row: UID, name, type, info, retired, keyword.
            Assert.True(DicomUid.TryGetEntry(r[0].GetString()!, out var entry), r[0].GetString());
            Assert.Equal((r[1].GetString(), TypeOf(r[2].GetString()!), r[4].GetString() == "Retired", r[5].GetString()),
                (entry.Name, entry.Type, entry.IsRetired, entry.Keyword));
        });
    }

    // PS3.6 Table A-1's UID Type column as pydicom spells it.
    private static DicomUidType TypeOf(string type) => type switch
    {
        "SOP Class" => DicomUidType.SopClass,
        "Meta SOP Class" => DicomUidType.MetaSopClass,
        "Transfer Syntax" => DicomUidType.TransferSyntax,
        "Well-known SOP Instance" or "Well-known Printer SOP Instance" or "Well-known Print Queue SOP Instance" =>
            DicomUidType.WellKnownSopInstance,
        "Application Context Name" => DicomUidType.ApplicationContextName,
        "Service Class" => DicomUidType.ServiceClass,
        "Coding Scheme" or "DICOM UIDs as a Coding Scheme" => DicomUidType.CodingScheme,
        "Application Hosting Model" => DicomUidType.ApplicationHostingModel,
        "Mapping Resource" => DicomUidType.MappingResource,
        "LDAP OID" => DicomUidType.LdapOid,
        "Synchronization Frame of Reference" => DicomUidType.SynchronizationFrameOfReference,
        "Well-known frame of reference" => DicomUidType.WellKnownFrameOfReference,
        _ => DicomUidType.Other,
    };
}
