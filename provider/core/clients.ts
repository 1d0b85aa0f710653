/**
 * One client per configuration for the life of the provider process, so
 * that resources of one account, region and endpoint share one client and
 * with it one rate budget.
 */
export function clientCache<C>(): (configuration: readonly unknown[], make: () => C) => C {
    const clients = new Map<string, C>();
    return (configuration, make) => {
        const key = JSON.stringify(configuration);
        let client = clients.get(key);
        if (!client) {
            client = make();
            clients.set(key, client);
        }
        return client;
    };
}
