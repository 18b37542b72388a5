"""An independent gRPC client of the inventory API, from stubs generated from inventory.proto.

Usage: client.py HOST:PORT PRODUCT_ID CHANGES
Reads the product's stock (GetStock), checks an invalid id is refused, then watches it (WatchStock): prints
"watching" once the server has sent the call's headers (the watch is subscribed), then one line per stock message
until CHANGES messages came, then cancels the watch. Every line is flushed at once; the test reads them as they come.
"""
import sys

import grpc

import inventory_pb2
import inventory_pb2_grpc


def describe(stock):
    locations = ",".join(f"{k}={v}" for k, v in sorted(stock.locations.items()))
    return (f"{stock.product_id} on_hand={stock.on_hand} reserved={stock.reserved} available={stock.available} "
            f"version={stock.version} last_event_id={stock.last_event_id} locations={locations}")


def main():
    target, product_id, changes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with grpc.insecure_channel(target) as channel:
        stub = inventory_pb2_grpc.InventoryStub(channel)

        stock = stub.GetStock(inventory_pb2.GetStockRequest(product_id=product_id), timeout=30)
        print("get " + describe(stock), flush=True)

        try:
            stub.GetStock(inventory_pb2.GetStockRequest(product_id=""), timeout=30)
            print("get-empty-id OK", flush=True)
        except grpc.RpcError as error:
            print(f"get-empty-id {error.code().name}", flush=True)

        watch = stub.WatchStock(inventory_pb2.WatchStockRequest(product_ids=[product_id]), timeout=60)
        watch.initial_metadata()
        print("watching", flush=True)
        seen = 0
        for stock in watch:
            print("watch " + describe(stock), flush=True)
            seen += 1
            if seen == changes:
                break
        watch.cancel()
        print("done", flush=True)


if __name__ == "__main__":
    main()
