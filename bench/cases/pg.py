"""placeholder"""


def run(context):
    return []
