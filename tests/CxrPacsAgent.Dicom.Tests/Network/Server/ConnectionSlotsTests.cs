using System.Net;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Server;

namespace CxrPacsAgent.Dicom.Tests.Network.Server;

public class ConnectionSlotsTests
{
    private static readonly IPAddress Router = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress Modality = IPAddress.Parse("10.0.0.2");

    private static ConnectionSlots Slots() => new(new DicomServerOptions
    {
        MaxConnections = 5, MaxConnectionsPerAddress = 3, MaxAssociations = 4, MaxAssociationsPerAddress = 2,
    });

    [Fact]
    public void One_address_cannot_take_every_connection_and_a_flood_is_reported_once()
    {
        var slots = Slots();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(slots.TryOpen(Router, out _));
        }
        Assert.False(slots.TryOpen(Router, out var first));
        Assert.False(slots.TryOpen(Router, out var second));
        Assert.True(first);
        Assert.False(second);
        Assert.True(slots.TryOpen(Modality, out _));
        // Once one of its connections closes, the address may open one again, and a new refusal is reported again.
        slots.Close(Router);
        Assert.True(slots.TryOpen(Router, out _));
        Assert.False(slots.TryOpen(Router, out var again));
        Assert.True(again);
        Assert.Equal(4, slots.Connections);
    }

    [Fact]
    public void The_total_limit_holds_across_addresses()
    {
        var slots = Slots();
        foreach (var address in new[] { Router, Router, Router, Modality, Modality })
        {
            Assert.True(slots.TryOpen(address, out _));
        }
        Assert.False(slots.TryOpen(IPAddress.Parse("10.0.0.3"), out var first));
        Assert.True(first);
        Assert.False(slots.TryOpen(IPAddress.Parse("10.0.0.4"), out var second));
        Assert.False(second);
    }

    [Fact]
    public void Associations_are_limited_per_address_and_in_all()
    {
        var slots = Slots();
        foreach (var address in new[] { Router, Router, Router, Modality, Modality })
        {
            Assert.True(slots.TryOpen(address, out _));
        }
        Assert.Equal(AssociationRejection.None, slots.TryBeginAssociation(Router));
        Assert.Equal(AssociationRejection.None, slots.TryBeginAssociation(Router));
        Assert.Equal(AssociationRejection.AssociationLimitPerAddress, slots.TryBeginAssociation(Router));
        Assert.Equal(AssociationRejection.None, slots.TryBeginAssociation(Modality));
        Assert.Equal(AssociationRejection.None, slots.TryBeginAssociation(Modality));
        slots.EndAssociation(Router);
        Assert.Equal(AssociationRejection.None, slots.TryBeginAssociation(Router));
        Assert.Equal(AssociationRejection.AssociationLimit, slots.TryBeginAssociation(Router));
        Assert.Equal(4, slots.Associations);
    }

    [Fact]
    public void Ipv4_peers_on_a_dual_mode_socket_count_as_ipv4() =>
        Assert.Equal(Router, ConnectionSlots.Normalize(Router.MapToIPv6()));
}
