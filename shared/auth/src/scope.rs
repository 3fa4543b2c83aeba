use domain::string_enum;

string_enum!(Scope {
    OrdersRead = "orders:read",
    OrdersWrite = "orders:write",
    BlacklistsRead = "blacklists:read",
    BlacklistsWrite = "blacklists:write",
    Admin = "admin",
});
