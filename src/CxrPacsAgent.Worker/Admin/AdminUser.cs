using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>Who is asking, as the audit log records it: the signed-in name and the client's address.</summary>
public sealed record AdminUser(string Name, string Client)
{
    public static AdminUser Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AdminUser(context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous", ClientOf(context));
    }

    public static string ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
