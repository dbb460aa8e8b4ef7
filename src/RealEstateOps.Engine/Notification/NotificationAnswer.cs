namespace RealEstateOps.Engine.Notification;

/// <summary>A webhook's or the Events API's answer: its status and body (bounded).</summary>
public sealed record NotificationAnswer(int StatusCode, string Body);
