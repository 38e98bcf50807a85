using System.Net;
using CxrPacsAgent.Dicom.Network.Acse;

namespace CxrPacsAgent.Dicom.Network.Server;

/// <summary>
/// Connection and association slots, in all and per calling address, so that one peer — hostile or merely careless,
/// with hundreds of idle connections or a pile of idle associations — cannot take the slots every other sender needs.
/// </summary>
internal sealed class ConnectionSlots(DicomServerOptions options)
{
    private readonly Lock gate = new();
    private readonly Dictionary<IPAddress, Usage> byAddress = [];
    private int connections;
    private int associations;
    private bool refusingAll;

    public int Connections => Volatile.Read(ref connections);

    public int Associations => Volatile.Read(ref associations);

    /// <summary>Takes a connection slot; false when the server or this address is at its limit.</summary>
    /// <param name="firstRefusal">True when this refusal is the first since the address was last under its limit (log it once).</param>
    public bool TryOpen(IPAddress address, out bool firstRefusal)
    {
        lock (gate)
        {
            if (connections >= options.MaxConnections)
            {
                firstRefusal = !refusingAll;
                refusingAll = true;
                return false;
            }
            var usage = byAddress.GetValueOrDefault(address);
            if (usage.Connections >= options.MaxConnectionsPerAddress)
            {
                firstRefusal = !usage.Refusing;
                byAddress[address] = usage with { Refusing = true };
                return false;
            }
            firstRefusal = false;
            connections++;
            byAddress[address] = usage with { Connections = usage.Connections + 1 };
            return true;
        }
    }

    public void Close(IPAddress address)
    {
        lock (gate)
        {
            connections--;
            refusingAll = false;
            var usage = byAddress[address];
            if (usage.Connections == 1)
            {
                byAddress.Remove(address);
            }
            else
            {
                byAddress[address] = new Usage(usage.Connections - 1, usage.Associations);
            }
        }
    }

    /// <summary>Takes an association slot; the rejection when the server or this address is at its limit.</summary>
    public AssociationRejection TryBeginAssociation(IPAddress address)
    {
        lock (gate)
        {
            var usage = byAddress[address];
            if (associations >= options.MaxAssociations)
            {
                return AssociationRejection.AssociationLimit;
            }
            if (usage.Associations >= options.MaxAssociationsPerAddress)
            {
                return AssociationRejection.AssociationLimitPerAddress;
            }
            associations++;
            byAddress[address] = usage with { Associations = usage.Associations + 1 };
            return AssociationRejection.None;
        }
    }

    public void EndAssociation(IPAddress address)
    {
        lock (gate)
        {
            associations--;
            var usage = byAddress[address];
            byAddress[address] = usage with { Associations = usage.Associations - 1 };
        }
    }

    /// <summary>The address that counts for fairness: IPv4 peers on a dual-mode socket arrive IPv4-mapped.</summary>
    public static IPAddress Normalize(IPAddress? address) =>
        address is null ? IPAddress.None : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private readonly record struct Usage(int Connections, int Associations, bool Refusing = false);
}
